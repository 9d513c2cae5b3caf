// /reviews: the change requests awaiting the signed-in person's review, across clients.
import type { Metadata } from "next";
import { ReviewQueuePage } from "@/components/change-requests/review-queue";

export const metadata: Metadata = { title: "Reviews" };

export default function ReviewsRoute() {
  return <ReviewQueuePage />;
}
