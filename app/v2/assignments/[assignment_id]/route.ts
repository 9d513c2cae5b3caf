// GET /v2/assignments/{assignment_id}: any revision by id, archived ones too, within the caller's clients.
import { getDatabase } from "@/db/client";
import { getAssignmentById } from "@/lib/assignments/read-assignments";
import { defineRoute, json } from "@/lib/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "assignments:read",
    handler: async (ctx) => {
      const { query } = await getDatabase();
      const row = await getAssignmentById(query, ctx.actor, ctx.params.assignment_id!);
      // Only the active revision is a valid If-Match precondition for a later PUT.
      return json(row, {
        headers: row.status === "active" ? { etag: `"${row.assignment_id}"` } : {},
      });
    },
  },
});
