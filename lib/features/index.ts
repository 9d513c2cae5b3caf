export * from "./types";
export * from "./check-compatibility";
export * from "./validate-feature-definitions";
export * from "./contract-diff";
export * from "./merge-features";
export * from "./describe-value";
export * from "./match-feature-type";
export * from "./json-equal";
