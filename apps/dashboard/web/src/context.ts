import { createContext } from "react";
import type { TokenSource } from "./gql";

/** What every page needs to reach the API. */
export interface ApiContext {
  readonly graphqlPath: string;
  readonly token: TokenSource;
}

export const Api = createContext<ApiContext>({ graphqlPath: "", token: () => Promise.reject(new Error("not signed in")) });
