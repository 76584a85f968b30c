/**
 * The URL Twilio signed: the public address it was configured with, not the one the request
 * reached us on (a proxy or load balancer in between changes host, scheme and port). The path and
 * query are the request's own, so a base with a path prefix works when the proxy strips it.
 */
export function publicWebhookUrl(publicBaseUrl: string, originalUrl: string): string {
  return publicBaseUrl.replace(/\/+$/, '') + (originalUrl.startsWith('/') ? originalUrl : `/${originalUrl}`);
}

export const SMS_WEBHOOK_PATH = '/webhooks/twilio/sms';
export const STATUS_WEBHOOK_PATH = '/webhooks/twilio/status';

/** Where Twilio reports one message's progress; the notification id rides in the signed query. */
export function statusCallbackUrl(publicBaseUrl: string, notificationId: string): string {
  return publicWebhookUrl(publicBaseUrl, `${STATUS_WEBHOOK_PATH}?notificationId=${encodeURIComponent(notificationId)}`);
}
