/** A config file with a `fixture` section, as a project's test suite would keep it. */
import { Component, defineConfig, VirtualHost } from 'salon';

export default defineConfig({
  c2s_require_encryption: false,
  allow_unencrypted_plain_auth: true,
  hosts: [VirtualHost('chat.test'), Component('rooms.chat.test', 'muc', { muc_room_default_public: false })],
  fixture: {
    users: { alice: 'alice-pw', bob: 'bob-pw', 'carol@chat.test': 'carol-pw' },
    rooms: [
      'lobby',
      {
        name: 'board@rooms.chat.test',
        config: { roomname: 'The Board', membersonly: true, moderatedroom: true },
        affiliations: { alice: 'owner', bob: 'member', 'mallory@elsewhere.test': 'outcast' },
        subject: 'Quarterly figures',
      },
    ],
    rosters: 'all',
  },
});
