import type { RecommendationsConfig } from "../config";
import { EmbeddedStore } from "./embedded";
import { QdrantStore } from "./qdrant";
import type { VectorStore } from "./types";

export type { VectorStore } from "./types";

export function createVectorStore(c: Pick<RecommendationsConfig, "vectorStore" | "qdrant">): VectorStore {
  return c.vectorStore === "qdrant" && c.qdrant !== null ? new QdrantStore(c.qdrant) : new EmbeddedStore();
}
