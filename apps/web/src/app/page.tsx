import { AppShell } from "@/components/AppShell";
import { WorkerPage } from "@/components/WorkerPage";

export default function Home() {
  return (
    <AppShell>
      <WorkerPage />
    </AppShell>
  );
}
