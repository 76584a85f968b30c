import { PinoLogger } from 'nestjs-pino';
import { MessagingLogger } from '@switchboard/messaging';

/** Lets the Kafka layer log through the service's pino logger, with structured fields. */
export function messagingLogger(logger: PinoLogger): MessagingLogger {
  return {
    info: (obj, msg) => logger.info(obj, msg),
    warn: (obj, msg) => logger.warn(obj, msg),
    error: (obj, msg) => logger.error(obj, msg),
  };
}
