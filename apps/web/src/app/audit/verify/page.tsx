import { VerifyExport } from "@/components/audit/VerifyExport";

export default function Page() {
  return <VerifyExport />;
}
