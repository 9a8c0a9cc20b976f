/** SQL over HTTP (/sql/*, Ponder's client middleware) for the app, open to any origin (it is public chain data). */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { client } from "ponder";

const app = new Hono();
app.use("/sql/*", cors({ origin: "*", allowMethods: ["GET", "POST", "OPTIONS"] }));
app.use("/sql/*", client({ db, schema }));

export default app;
