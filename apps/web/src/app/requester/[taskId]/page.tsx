import { AppShell } from "@/components/AppShell";
import { TaskManagePage } from "@/components/requester/TaskManagePage";

/** /requester/<id>: one own task: facts, batches, decrypted labels and export, cancel. */
export default function Page() {
  return (
    <AppShell>
      <TaskManagePage />
    </AppShell>
  );
}
