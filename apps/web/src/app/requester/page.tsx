import { RequesterDashboard } from "@/components/requester/RequesterDashboard";

/** /requester: the connected account's tasks. */
export default function Page() {
  return <RequesterDashboard />;
}
