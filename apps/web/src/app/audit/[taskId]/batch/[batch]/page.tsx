import { AuditBatch } from "@/components/audit/AuditBatch";

export default function Page() {
  return <AuditBatch />;
}
