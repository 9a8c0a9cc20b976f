import { AuditTask } from "@/components/audit/AuditTask";

export default function Page() {
  return <AuditTask />;
}
