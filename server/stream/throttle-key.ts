/**
 * The key under which failed logins from an address are counted: the same key as every other
 * per-address limit (`server/net/address-key.ts`: IPv4-mapped addresses as IPv4, IPv6 by /64).
 */
export { addressKey as throttleKey } from '../net/index.js';
