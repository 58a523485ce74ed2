export { Qdrant, type QdrantArgs } from "./qdrant";
export { QDRANT_API_KEY_SECRET, QDRANT_SNAPSHOT_PREFIX, qdrantValues, type QdrantValuesInput } from "./values";
