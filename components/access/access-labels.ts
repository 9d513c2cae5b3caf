// What each role and scope lets its holder do, in words for the Access page.
import type { Role, Scope } from "@/lib/shared/scopes";

export const ROLE_HELP: Record<Role, string> = {
  viewer: "Reads everything, changes nothing",
  editor: "Reads everything; changes assignments and services",
  admin: "Everything, including the registry, people and API tokens",
};

export const SCOPE_HELP: Record<Scope, string> = {
  "assignments:read": "Read assignments, their revisions and effective assignments",
  "assignments:write": "Create, change and archive assignments",
  "services:read": "Read services and their provided features",
  "services:write": "Change services' features, names and status",
  "models:read": "Read the model registry",
  "models:write": "Register models and versions",
  "observations:write":
    "Report what services run (observed state); nothing else. assignments:write includes it",
  admin: "Everything, including people and API tokens",
};
