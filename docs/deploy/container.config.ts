/**
 * The config of the container image (Dockerfile: /etc/salon/salon.config.ts). Every listener on
 * every interface of the container (publish the ports you want with `docker run -p`), data in
 * the volume /var/lib/salon, certificates in /etc/salon/certs (<host>.crt and <host>.key, or a
 * self-signed one made in the volume on first start). SALON_DOMAIN names the VirtualHost; the
 * MUC service is conference.<domain>. Mount your own file over this one for anything else
 * (prosody.cfg.example.ts documents every option); `docker kill --signal HUP` reloads it.
 */
import { defineConfig, VirtualHost, Component } from 'salon';

const domain = process.env.SALON_DOMAIN ?? 'localhost';

export default defineConfig({
  data_path: '/var/lib/salon',
  certificates: '/etc/salon/certs',
  c2s_interfaces: ['*'],
  http_interfaces: ['*'],
  https_interfaces: ['*'],
  hosts: [VirtualHost(domain), Component(`conference.${domain}`, 'muc')],
});
