import { TaskManagePage } from "@/components/requester/TaskManagePage";

/** /requester/<id>: one own task: facts, batches, decrypted labels and export, cancel. */
export default function Page() {
  return <TaskManagePage />;
}
