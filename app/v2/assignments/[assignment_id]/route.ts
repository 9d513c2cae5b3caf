// GET /v2/assignments/{assignment_id}: any revision by id, archived ones too, within the caller's clients.
import { getDatabase } from "@/lib/server/database";
import { getAssignmentById } from "@/lib/server/assignments/read-assignments";
import { answerResponse, contentEtag } from "@/lib/server/http/conditional";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "assignments:read",
    handler: async (ctx) => {
      const row = await getAssignmentById(await getDatabase(), {
        actor: ctx.actor,
        assignmentId: ctx.params.assignment_id!,
      });
      const body = JSON.stringify(row);
      // The active revision's ETag is its id (the If-Match precondition of a later PUT); once archived, a
      // revision never changes again, and its ETag is a hash of it (so an If-None-Match with the id gets a 200).
      const etag = row.status === "active" ? `"${row.assignment_id}"` : contentEtag(body);
      return answerResponse(ctx.request, { version: 0, etag, body });
    },
  },
});
