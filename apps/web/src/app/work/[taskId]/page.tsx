import { WorkTask } from "@/components/work/WorkTask";

export default function Page() {
  return <WorkTask />;
}
