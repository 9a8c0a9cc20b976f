import { AppShell } from "@/components/AppShell";
import { AuditTaskList } from "@/components/audit/AuditTaskList";

export default function Page() {
  return (
    <AppShell>
      <AuditTaskList />
    </AppShell>
  );
}
