import { AppShell } from "@/components/AppShell";
import { AuditBatch } from "@/components/audit/AuditBatch";

export default function Page() {
  return (
    <AppShell>
      <AuditBatch />
    </AppShell>
  );
}
