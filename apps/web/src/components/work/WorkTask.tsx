"use client";
/** /work/<taskId>: the task of the route, then its labeling workspace (or why there is none). */
import Link from "next/link";
import { useParams } from "next/navigation";
import { parseIndex, useTask } from "@/lib/tasks";
import { hasScreens, noScreens } from "./labelers";
import { Workspace } from "./Workspace";
import "./work.css";

export function WorkTask() {
  const params = useParams<{ taskId: string }>();
  const taskId = parseIndex(params.taskId);
  const { task, error, loading } = useTask(taskId);
  if (taskId === null) return <Problem title="No such task" detail={`"${params.taskId}" is not a task number.`} />;
  if (error) return <Problem title="The tasks could not be read" detail={error} />;
  if (loading || task === undefined)
    return (
      <p className="muted" role="status">
        Loading task #{taskId.toString()}…
      </p>
    );
  if (task === null)
    return <Problem title={`Task #${taskId} does not exist`} detail="No task with this number is on this chain." />;
  if (!task.rule)
    return <Problem title={`Task #${taskId} has a rule this app does not know`} detail={task.ruleProblem ?? ""} />;
  if (task.paramsProblem) return <Problem title={`Task #${taskId} cannot be worked on`} detail={task.paramsProblem} />;
  if (!hasScreens(task.rule))
    return <Problem title={`Task #${taskId} cannot be labeled here`} detail={noScreens(task.rule)} />;
  return <Workspace key={task.id.toString()} task={task} rule={task.rule} />;
}

function Problem({ title, detail }: { title: string; detail: string }) {
  return (
    <section className="card problem" role="alert" data-testid="work-problem">
      <h1>{title}</h1>
      <p className="problem-detail">{detail}</p>
      <Link className="btn" href="/work">
        Back to the open tasks
      </Link>
    </section>
  );
}
