// Message accessors are views of the properties map, as in Java.
import { describe, expect, it } from 'vitest';
import { Message } from '../../../../src/common/message/message.js';
import { MessageExtBrokerInner, tagsString2tagsCode } from '../../../../src/common/message/message-ext.js';
import { MessageSysFlag, getTransactionValue, resetTransactionValue, transactionTypeName } from '../../../../src/common/message/message-sys-flag.js';

describe('Message', () => {
  it('Message.create() sets TAGS, KEYS and WAIT like Java\'s full constructor', () => {
    const msg = Message.create('TopicTest', new Uint8Array([1]), { tags: 'TagA', keys: 'k1' });
    expect([...msg.properties]).toEqual([['TAGS', 'TagA'], ['KEYS', 'k1'], ['WAIT', 'true']]);
    expect(msg.waitStoreMsgOK).toBe(true);
    msg.delayTimeLevel = 3;
    expect(msg.getProperty('DELAY')).toBe('3');
    expect(msg.delayTimeLevel).toBe(3);
    msg.putProperty('DELAY', 'x');
    expect(msg.delayTimeLevel).toBe(0);
    msg.setKeys(['a', 'b']);
    expect(msg.keys).toBe('a b');
    expect(new Message().properties.size).toBe(0);
  });

  it('putUserProperty() refuses system names and blank values', () => {
    const msg = new Message();
    expect(() => msg.putUserProperty('TAGS', 'x')).toThrow(RangeError);
    expect(() => msg.putUserProperty('mine', ' ')).toThrow(RangeError);
    msg.putUserProperty('mine', 'v');
    expect(msg.getUserProperty('mine')).toBe('v');
  });
});

describe('MessageSysFlag', () => {
  it('getTransactionValue()/resetTransactionValue() read and replace bits 2-3', () => {
    const flag = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.TRANSACTION_PREPARED_TYPE;
    expect(getTransactionValue(flag)).toBe(4);
    const committed = resetTransactionValue(flag, MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(committed).toBe(0b1001);
    expect(transactionTypeName(committed)).toBe('COMMIT');
    expect(transactionTypeName(MessageSysFlag.TRANSACTION_ROLLBACK_TYPE)).toBe('ROLLBACK');
  });
});

describe('MessageExtBrokerInner', () => {
  it('tagsString2tagsCode() is the Java hash of TAGS, 0 without tags; applyHostV6Flags() follows the hosts', () => {
    expect(tagsString2tagsCode('TagA')).toBe(2598919);
    expect(tagsString2tagsCode(undefined)).toBe(0);
    expect(tagsString2tagsCode('')).toBe(0);
    const inner = new MessageExtBrokerInner({ bornHost: '[::1]:5', storeHost: '10.0.0.1:10911', sysFlag: 0x20 });
    inner.applyHostV6Flags();
    expect(inner.sysFlag).toBe(MessageSysFlag.BORNHOST_V6_FLAG);
  });
});
