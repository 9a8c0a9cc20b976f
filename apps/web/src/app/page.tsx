import { AppShell } from "@/components/AppShell";
import { Home } from "@/components/Home";

export default function Page() {
  return (
    <AppShell>
      <Home />
    </AppShell>
  );
}
