import { PostTaskPage } from "@/components/requester/PostTaskPage";

/** /requester/new: post a task (dataset, rule, gold, reward) in one funded transaction. */
export default function Page() {
  return <PostTaskPage />;
}
