import { WorkTasks } from "@/components/work/WorkTasks";

export default function Page() {
  return <WorkTasks />;
}
