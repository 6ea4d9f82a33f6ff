/** The gateway's own config (GatewayConfig), provided by GatewayModule. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
