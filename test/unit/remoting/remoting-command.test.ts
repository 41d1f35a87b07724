// RemotingCommand: flags, factories and the typed custom-header accessors processors use.
import { describe, expect, it } from 'vitest';
import { RequestCode, requestCodeName } from '../../../src/common/protocol/request-code.js';
import { ResponseCode, responseCodeName } from '../../../src/common/protocol/response-code.js';
import { RemotingCommandError } from '../../../src/remoting/errors.js';
import {
  DEFAULT_REMOTING_VERSION,
  createRequestCommand,
  createResponseCommand,
  isOneway,
  isResponse,
  languageName,
  markOneway,
  markResponse,
} from '../../../src/remoting/remoting-command.js';

function errorOf(fn: () => unknown): RemotingCommandError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RemotingCommandError) return error;
    throw error;
  }
  throw new Error('expected a RemotingCommandError');
}

describe('RemotingCommand', () => {
  it('createRequestCommand() stringifies extFields, skips null/undefined, and leaves opaque 0 and version 293', () => {
    const c = createRequestCommand(30, { topic: 'T', queueId: 3, order: false, skip: null, none: undefined });
    expect(c.extFields).toEqual({ topic: 'T', queueId: '3', order: 'false' });
    expect([c.code, c.opaque, c.flag, c.version, c.language]).toEqual([30, 0, 0, DEFAULT_REMOTING_VERSION, 'JAVA']);
    expect(DEFAULT_REMOTING_VERSION).toBe(293);
  });

  it('createResponseCommand() sets the RESPONSE flag; markOneway()/markResponse() set bits 1 and 0', () => {
    const r = createResponseCommand(1, 'boom');
    expect([isResponse(r), isOneway(r), r.remark]).toEqual([true, false, 'boom']);
    const q = markOneway(createRequestCommand(40));
    expect([q.flag, isOneway(q), isResponse(q)]).toEqual([2, true, false]);
    expect(markResponse(q).flag).toBe(3);
  });

  it('getInt()/getLong()/getBool()/getString() parse strings like Java and name the field when it is missing or malformed', () => {
    const c = createRequestCommand(11, { queueId: '7', neg: '-12', big: '9223372036854775807', flag: 'TRUE', other: 'yes', name: 'x' });
    expect(c.getInt('queueId')).toBe(7);
    expect(c.getInt('neg')).toBe(-12);
    expect(c.getLong('big')).toBe(Number.MAX_SAFE_INTEGER); // Long.MAX_VALUE clamps, keeping "huge"
    expect(c.getBool('flag')).toBe(true);
    expect(c.getBool('other')).toBe(false); // Boolean.parseBoolean
    expect(c.getString('name')).toBe('x');
    expect(c.optInt('absent')).toBeUndefined();
    expect(c.optLong('neg')).toBe(-12);

    const missing = errorOf(() => c.getInt('commitOffset'));
    expect(missing.field).toBe('commitOffset');
    expect(missing.message).toBe('the custom header field "commitOffset" is missing');
    expect(missing.name).toBe('RemotingCommandError');
    expect(errorOf(() => c.getInt('name')).message).toBe('the custom header field "name" is not an int: "x"');
    expect(errorOf(() => c.getInt('big')).message).toMatch(/out of the int range/);
    expect(errorOf(() => createRequestCommand(1, { l: '99999999999999999999' }).getLong('l')).message).toMatch(/out of the long range/);
    expect(errorOf(() => createRequestCommand(1, { l: '1.5' }).optLong('l')).field).toBe('l');
  });

  it('languageName() maps binary-header bytes to names, unknown bytes to OTHER', () => {
    expect([languageName(0), languageName(9), languageName(12), languageName(99)]).toEqual(['JAVA', 'GO', 'RUST', 'OTHER']);
  });

  it('requestCodeName()/responseCodeName() name the codes (4.9 spelling for 105) and fall back to the number', () => {
    expect([requestCodeName(310), requestCodeName(105), requestCodeName(9999)]).toEqual(['SEND_MESSAGE_V2', 'GET_ROUTEINFO_BY_TOPIC', '9999']);
    expect(RequestCode.GET_ROUTEINTO_BY_TOPIC).toBe(RequestCode.GET_ROUTEINFO_BY_TOPIC);
    expect([responseCodeName(19), responseCodeName(215), responseCodeName(-5)]).toEqual(['PULL_NOT_FOUND', 'FLOW_CONTROL', '-5']);
    expect(ResponseCode.REQUEST_CODE_NOT_SUPPORTED).toBe(3);
  });
});
