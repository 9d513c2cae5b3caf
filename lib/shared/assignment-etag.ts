// The ETag of an assignment revision: its id, quoted. The server sends it on the active revision and checks it in
// If-Match; the console rebuilds it for a revision it read from a list (which carries no ETag per row).
export const assignmentEtag = (assignmentId: string): string => `"${assignmentId}"`;
