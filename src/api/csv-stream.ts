/**
 * A CSV download streamed in keyset batches, so a large export never sits in memory: the header,
 * then each batch as it is read. The first batch is read before answering (an unreachable
 * database is a problem response, not a 200); a later failure cuts the download off and is logged.
 */
import { csvLine, type CsvValue } from "./csv";

export interface CsvExport<Row> {
  filename: string;
  header: readonly string[];
  /** The batch after `last` (undefined: the first), at most `size` rows. */
  batch(last: Row | undefined, size: number): Promise<Row[]>;
  row(row: Row): readonly CsvValue[];
  size?: number;
}

export async function csvResponse<Row>(spec: CsvExport<Row>): Promise<Response> {
  const size = spec.size ?? 500;
  const encoder = new TextEncoder();
  let batch = await spec.batch(undefined, size);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(spec.header)));
    },
    async pull(controller) {
      controller.enqueue(encoder.encode(batch.map((r) => csvLine(spec.row(r))).join("")));
      if (batch.length < size) return controller.close();
      try {
        batch = await spec.batch(batch[batch.length - 1], size);
      } catch (err) {
        // Headers are gone already: the client sees a cut-off download; the operator sees this.
        console.error(
          JSON.stringify({
            level: "error",
            msg: "csv_batch_failed",
            file: spec.filename,
            error: String(err).slice(0, 200),
          }),
        );
        controller.error(err);
      }
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${spec.filename}"`,
    },
  });
}
