/**
 * The few response shapes every broker admin and query request ends in, and the one place
 * where a bad request becomes a SYSTEM_ERROR instead of an exception.
 *
 * Java lets `decodeCommandCustomHeader` throw `RemotingCommandException` and the remoting
 * layer turns it into SYSTEM_ERROR with the exception text. We do the same translation
 * explicitly, so the remark always names what was wrong (the header field, or the path in
 * the JSON body) and nothing a client sends can throw out of a processor.
 *
 * Differences from RocketMQ 4.9.x: none in effect; the remarks name the field.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyRemotingAbstract#processRequestCommand (the exception answer)
 * @article send-receive "Processors: who answers which code"
 * @category Broker
 * @module
 */
import { JsonFormatError } from '../../../common/json/fastjson.js';
import { ResponseCode } from '../../../common/protocol/response-code.js';
import { FileSystemError } from '../../../platform/storage.js';
import { RemotingCommandError } from '../../../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../../../remoting/remoting-command.js';

/** SUCCESS, with an optional body. */
export function success(body?: Uint8Array): RemotingCommand {
  const response = createResponseCommand(ResponseCode.SUCCESS);
  if (body !== undefined && body.length > 0) response.body = body;
  return response;
}

/** SUCCESS with a custom header (every value becomes a string). */
export function successWithHeader(fields: Readonly<Record<string, string | number | boolean>>): RemotingCommand {
  return success().addExtFields(fields);
}

/** SYSTEM_ERROR with a remark. */
export function systemError(remark: string): RemotingCommand {
  return createResponseCommand(ResponseCode.SYSTEM_ERROR, remark);
}

/**
 * Translate what a bad request throws into SYSTEM_ERROR naming the field or body path;
 * rethrow anything else (a bug must surface, not become a remark).
 */
export function answerBadRequest(error: unknown): RemotingCommand {
  if (error instanceof RemotingCommandError) return systemError(error.message);
  if (error instanceof JsonFormatError) return systemError(`the body could not be decoded: ${error.message}`);
  if (error instanceof FileSystemError) return systemError(`persisting failed: ${error.message}`);
  throw error;
}

/** Run a handler, answering a bad request instead of throwing (sync or async). */
export function guarded(handler: () => RemotingCommand | null | Promise<RemotingCommand | null>): RemotingCommand | null | Promise<RemotingCommand | null> {
  try {
    const answer = handler();
    return answer instanceof Promise ? answer.catch(answerBadRequest) : answer;
  } catch (error) {
    return answerBadRequest(error);
  }
}
