import { AppShell } from "@/components/AppShell";
import { WorkTasks } from "@/components/work/WorkTasks";

export default function Page() {
  return (
    <AppShell>
      <WorkTasks />
    </AppShell>
  );
}
