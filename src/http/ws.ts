// graphql-ws on the same path as yoga, through the same envelop pipeline (context, auth, masking).
// The key travels in connection_init's payload as `authorization`; a bad key closes the socket.
import type { Server } from "node:http";
import type { ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Services } from "../schema/context.js";
import { keyFromConnectionParams } from "./api-key-header.js";
import { requestIdFrom } from "./request-id.js";
import type { YogaServer } from "./yoga.js";

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export function attachWebSocket(server: Server, yoga: YogaServer, services: Services) {
  // noServer and our own upgrade handler (ws's documented pattern) rather than `{ server }`: ws then
  // re-emits every HTTP server error, and graphql-ws prints it with a stack, even a taken port that
  // the CLI reports in one line.
  const wsServer = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request, socket, head) => {
    if ((request.url ?? "").split("?")[0] !== yoga.graphqlEndpoint) {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit("connection", ws, request));
  });
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onConnect: async (ctx) => {
        try {
          const key = keyFromConnectionParams(ctx.connectionParams);
          if (key !== null) await services.apiKeys.authenticate(key);
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          request: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          requestId: requestIdFrom(ctx.extra.request.headers["x-request-id"]),
        });
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
      },
    },
    wsServer,
  );
  return {
    wsServer,
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
