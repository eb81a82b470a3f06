/**
 * One `POST /v2/pipeline`: find or open the stream, wait for the connection, run the requests in
 * order (each failing on its own, as Hrana requires), then record whether the stream now holds a
 * transaction and issue its next baton. The only await is the wait for the connection.
 */
import type { Connection } from "./connection";
import { resolveSql, wireErrorOf, StmtError } from "./executor";
import type {
  PipelineRequest,
  PipelineResponse,
  StreamRequest,
  StreamResponse,
  StreamResult,
} from "./protocol";
import type { Stream, StreamRegistry } from "./streams";

export async function runPipeline(
  body: PipelineRequest,
  registry: StreamRegistry,
  connection: Connection,
): Promise<PipelineResponse> {
  const stream = registry.take(body.baton);
  try {
    await registry.acquire(stream);
  } catch (error) {
    registry.end(stream, "The server was shut down");
    throw error;
  }
  // From here to settle() everything is synchronous, so ownership cannot change under us.
  if (!connection.inTransaction) connection.enter(stream);
  const results = body.requests.map((request) => runRequest(request, stream, registry, connection));
  if (!stream.closed) connection.leave(stream);
  const baton = registry.settle(stream, connection.inTransaction);
  return { baton, base_url: null, results };
}

function runRequest(
  request: StreamRequest,
  stream: Stream,
  registry: StreamRegistry,
  connection: Connection,
): StreamResult {
  if (stream.closed) {
    return {
      type: "error",
      error: { message: "The stream was closed earlier in this pipeline", code: "STREAM_CLOSED" },
    };
  }
  try {
    return { type: "ok", response: respond(request, stream, registry, connection) };
  } catch (error) {
    return { type: "error", error: wireErrorOf(error) };
  }
}

function respond(
  request: StreamRequest,
  stream: Stream,
  registry: StreamRegistry,
  connection: Connection,
): StreamResponse {
  const { executor } = connection;
  switch (request.type) {
    case "execute":
      return { type: "execute", result: executor.execute(request.stmt, stream.sqls) };
    case "batch":
      return { type: "batch", result: executor.batch(request.batch, stream.sqls) };
    case "sequence":
      executor.sequence(resolveSql(request, stream.sqls));
      return { type: "sequence" };
    case "store_sql":
      stream.sqls.set(request.sql_id, request.sql);
      return { type: "store_sql" };
    case "close_sql":
      stream.sqls.delete(request.sql_id);
      return { type: "close_sql" };
    case "get_autocommit":
      return { type: "get_autocommit", is_autocommit: executor.isAutocommit };
    case "describe":
      throw new StmtError("describe is not supported by the local libSQL server", "NOT_SUPPORTED");
    case "close":
      // A stream closed inside a transaction rolls it back, as sqld does.
      connection.rollbackIfOpen();
      registry.end(stream, "The stream was closed");
      connection.leave(stream);
      return { type: "close" };
  }
}
