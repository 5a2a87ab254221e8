/**
 * Bounds on untrusted XML input (DESIGN.md §5). No parser caps sizes by itself, so every
 * parser in this folder enforces these while it reads.
 */
export interface XmlLimits {
  /**
   * Largest stanza in bytes of input, from its start tag to its end tag. Also bounds the stream
   * prolog plus the root's start tag, and anything between stanzas that is not whitespace.
   */
  maxStanzaBytes: number;
  /** Deepest element nesting inside a stanza; the stanza itself is depth 1. */
  maxDepth: number;
  /** Most attributes (namespace declarations included) on one element. */
  maxAttributes: number;
}
