// Topic and group name rules, the system topic set, and the MixAll name helpers, checked
// against the exact texts Java's broker (TopicValidator) and client (Validators) produce.
import { describe, expect, it } from 'vitest';
import { PermName, isInherited, isReadable, isWriteable, perm2String } from '../../../../src/common/constant/perm-name.js';
import { brokerVIPChannel, getDLQTopic, getRetryTopic, isSysConsumerGroup } from '../../../../src/common/mix-all.js';
import { TopicConfig } from '../../../../src/common/topic/topic-config.js';
import {
  TOPIC_MAX_LENGTH,
  checkGroup,
  checkTopic,
  getSystemTopicSet,
  isNotAllowedSendTopic,
  isSystemTopic,
  isTopicOrGroupIllegal,
  validateTopic,
} from '../../../../src/common/topic/topic-validator.js';

describe('TopicValidator', () => {
  it('isTopicOrGroupIllegal() accepts exactly ^[%|a-zA-Z0-9_-]+$', () => {
    expect(isTopicOrGroupIllegal('%RETRY%cg_1|a-Z9')).toBe(false);
    for (const bad of ['a b', 'a.b', 'a/b', 'tópico', 'a\u0000', 'a:b', 'a#b']) expect(isTopicOrGroupIllegal(bad)).toBe(true);
  });

  it('validateTopic() checks blank, then characters, then length <= 127, with the broker remarks', () => {
    expect(validateTopic('TopicA')).toEqual({ valid: true });
    expect(validateTopic('x'.repeat(TOPIC_MAX_LENGTH))).toEqual({ valid: true });
    expect(validateTopic('  ')).toEqual({ valid: false, remark: 'The specified topic is blank.' });
    expect(validateTopic(undefined)).toEqual({ valid: false, remark: 'The specified topic is blank.' });
    expect(validateTopic('a b')).toEqual({
      valid: false,
      remark: 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$',
    });
    expect(validateTopic('x'.repeat(128))).toEqual({ valid: false, remark: 'The specified topic is longer than topic max length.' });
    // Both problems: the broker reports the characters first.
    expect(validateTopic('é'.repeat(200))).toMatchObject({ remark: expect.stringContaining('illegal characters') });
  });

  it('checkTopic() checks blank, then length, then characters, with the client texts', () => {
    expect(checkTopic('TopicA')).toBeUndefined();
    expect(checkTopic('')).toBe('The specified topic is blank');
    expect(checkTopic('é'.repeat(200))).toBe('The specified topic is longer than topic max length 127.');
    expect(checkTopic('a.b')).toBe('The specified topic[a.b] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$');
  });

  it('checkGroup() allows 255 characters and reports the client texts', () => {
    expect(checkGroup('g'.repeat(255))).toBeUndefined();
    expect(checkGroup('g'.repeat(256))).toBe('the specified group is longer than group max length 255.');
    expect(checkGroup(' ')).toBe('the specified group is blank');
    expect(checkGroup('g g')).toBe('the specified group[g g] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$');
  });

  it('isSystemTopic() knows the nine system topics and the rmq_sys_ prefix; isNotAllowedSendTopic() the six forbidden ones', () => {
    expect([...getSystemTopicSet()]).toEqual([
      'TBW102', 'SCHEDULE_TOPIC_XXXX', 'BenchmarkTest', 'RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRACE_TOPIC',
      'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'TRANS_CHECK_MAX_TIME_TOPIC', 'SELF_TEST_TOPIC', 'OFFSET_MOVED_EVENT',
    ]);
    expect(isSystemTopic('rmq_sys_anything')).toBe(true);
    expect(isSystemTopic('TopicA')).toBe(false);
    expect(isNotAllowedSendTopic('SCHEDULE_TOPIC_XXXX')).toBe(true);
    expect(isNotAllowedSendTopic('TBW102')).toBe(false);
    expect(isNotAllowedSendTopic('RMQ_SYS_TRACE_TOPIC')).toBe(false);
  });
});

describe('MixAll', () => {
  it('getRetryTopic(), getDLQTopic(), isSysConsumerGroup() and brokerVIPChannel() build the well-known names', () => {
    expect(getRetryTopic('cg')).toBe('%RETRY%cg');
    expect(getDLQTopic('cg')).toBe('%DLQ%cg');
    expect(isSysConsumerGroup('CID_RMQ_SYS_TRANS')).toBe(true);
    expect(isSysConsumerGroup('cg')).toBe(false);
    expect(brokerVIPChannel(true, '10.0.0.1:10911')).toBe('10.0.0.1:10909');
    expect(brokerVIPChannel(false, '10.0.0.1:10911')).toBe('10.0.0.1:10911');
  });
});

describe('PermName and TopicConfig', () => {
  it('perm bits are PRIORITY 8, READ 4, WRITE 2, INHERIT 1; perm2String(7) is "RWX"', () => {
    expect(PermName).toEqual({ PERM_PRIORITY: 8, PERM_READ: 4, PERM_WRITE: 2, PERM_INHERIT: 1 });
    expect([isReadable(6), isWriteable(6), isInherited(6)]).toEqual([true, true, false]);
    expect(perm2String(7)).toBe('RWX');
    expect(perm2String(4)).toBe('R--');
  });

  it('new TopicConfig(name) has Java defaults 16/16, perm 6, SINGLE_TAG; encode()/decode() use the space-separated form', () => {
    const config = new TopicConfig('TopicA');
    expect([config.readQueueNums, config.writeQueueNums, config.perm, config.topicFilterType, config.topicSysFlag, config.order]).toEqual([
      16, 16, 6, 'SINGLE_TAG', 0, false,
    ]);
    const four = new TopicConfig('TopicB', 4, 4, 7);
    expect(four.encode()).toBe('TopicB 4 4 7 SINGLE_TAG');
    expect(TopicConfig.decode('TopicB 4 4 7 SINGLE_TAG')?.equals(four)).toBe(true);
    expect(TopicConfig.decode('TopicB 4 4')).toBeUndefined();
  });
});
