/**
 * The config used when no file is found (DESIGN.md §2): a VirtualHost `localhost` and its MUC
 * service. Ports (c2s 5222, Direct TLS 5223, HTTP 5280, HTTPS 5281) and `./data` are simply
 * the options' defaults, which environment variables may override.
 */
import { Component, defineConfig, VirtualHost, type ConfigInput } from './define.js';

export function embeddedDefaultConfig(): ConfigInput {
  return defineConfig({
    hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc')],
  });
}
