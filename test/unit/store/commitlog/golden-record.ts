// A known message and its 4.x commit-log record, written out by hand field by field, so the
// encoder, the store-side reader and the client-side decoder are all checked against the
// same bytes. Every value below is hex of the field as Java's ByteBuffer writes it.
import { fromHex } from '../../../../src/common/bytes.js';
import { encodeUtf8 } from '../../../../src/common/bytes.js';
import { MessageExtBrokerInner } from '../../../../src/common/message/message-ext.js';

export const GOLDEN_PROPERTIES = 'TAGS\u0001TagA\u0002KEYS\u0001order-1\u0002WAIT\u0001true\u0002';

/** The message the broker hands to the store (nothing set that the store fills in). */
export function goldenMessage(): MessageExtBrokerInner {
  return new MessageExtBrokerInner({
    topic: 'TopicTest',
    queueId: 3,
    flag: 0,
    body: encodeUtf8('Hello RocketMQ 2'),
    sysFlag: 0,
    bornTimestamp: 1700000000000,
    bornHost: '192.168.0.10:50000',
    storeHost: '10.0.0.1:10911',
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    properties: new Map([['TAGS', 'TagA'], ['KEYS', 'order-1'], ['WAIT', 'true']]),
    propertiesString: GOLDEN_PROPERTIES,
  });
}

/** What the append fills in. */
export const GOLDEN_APPEND = { physicalOffset: 500, queueOffset: 7, storeTimestamp: 1700000000123 } as const;

export const GOLDEN_RECORD_HEX = [
  '00000095', //                 TOTALSIZE 149 = 91 + 16 (body) + 9 (topic) + 33 (properties)
  'DAA320A7', //                 MAGICCODE, message
  '4A821663', //                 BODYCRC: crc32 0xCA821663 & 0x7FFFFFFF
  '00000003', //                 QUEUEID 3
  '00000000', //                 FLAG 0
  '0000000000000007', //         QUEUEOFFSET 7
  '00000000000001F4', //         PHYSICALOFFSET 500
  '00000000', //                 SYSFLAG 0
  '0000018BCFE56800', //         BORNTIMESTAMP 1700000000000
  'C0A8000A', '0000C350', //     BORNHOST 192.168.0.10 : 50000
  '0000018BCFE5687B', //         STORETIMESTAMP 1700000000123
  '0A000001', '00002A9F', //     STOREHOSTADDRESS 10.0.0.1 : 10911
  '00000000', //                 RECONSUMETIMES 0
  '0000000000000000', //         PREPARED TRANSACTION OFFSET 0
  '00000010', //                 BODY LENGTH 16
  '48656C6C6F20526F636B65744D512032', // BODY "Hello RocketMQ 2"
  '09', //                       TOPIC LENGTH 9
  '546F70696354657374', //       TOPIC "TopicTest"
  '0021', //                     PROPERTIES LENGTH 33
  '5441475301546167410' + '24B455953016F726465722D310257414954017472756502', // TAGS^ATagA^BKEYS^Aorder-1^BWAIT^Atrue^B
].join('');

export const GOLDEN_RECORD: Uint8Array = fromHex(GOLDEN_RECORD_HEX);
