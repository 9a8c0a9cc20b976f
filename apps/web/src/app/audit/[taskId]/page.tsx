import { AppShell } from "@/components/AppShell";
import { AuditTask } from "@/components/audit/AuditTask";

export default function Page() {
  return (
    <AppShell>
      <AuditTask />
    </AppShell>
  );
}
