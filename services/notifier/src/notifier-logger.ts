/** The logger calls the notifier's handlers and polls make (PinoLogger's), so specs can pass a quiet one. */
export interface NotifierLogger {
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
}
