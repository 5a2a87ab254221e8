/** PEP Native Bookmarks (XEP-0402) with XEP-0411 compatibility: the `bookmarks` module. */
export { bookmarksModule } from './bookmarks-module.js';
