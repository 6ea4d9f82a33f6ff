/** The chat service's own config (ChatConfig), provided by ChatModule. */
export const CHAT_CONFIG = Symbol('CHAT_CONFIG');
