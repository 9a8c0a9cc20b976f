import { AuditTaskList } from "@/components/audit/AuditTaskList";

export default function Page() {
  return <AuditTaskList />;
}
