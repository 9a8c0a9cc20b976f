import { AppShell } from "@/components/AppShell";
import { WorkTask } from "@/components/work/WorkTask";

export default function Page() {
  return (
    <AppShell>
      <WorkTask />
    </AppShell>
  );
}
