/**
 * Character sets the contextual rules of PRECIS (RFC 8264 §9.8, RFC 5892 Appendix A) look at,
 * shared by the localpart (IdentifierClass) and resourcepart (FreeformClass) checks. Strings of
 * regular-expression source, to be placed inside a character class.
 */

/** Code points whose combining class is Virama (Unicode 14): the context of a joiner (RFC 5892 A.1, A.2). */
export const VIRAMA = '\\u094D\\u09CD\\u0A4D\\u0ACD\\u0B4D\\u0BCD\\u0C4D\\u0CCD\\u0D3B\\u0D3C\\u0D4D\\u0DCA\\u0E3A\\u0EBA\\u0F84'
  + '\\u1039\\u103A\\u1714\\u1715\\u1734\\u17D2\\u1A60\\u1B44\\u1BAA\\u1BAB\\u1BF2\\u1BF3\\u2D7F\\uA806\\uA82C\\uA8C4\\uA953\\uA9C0'
  + '\\uAAF6\\uABED\\u{10A3F}\\u{11046}\\u{11070}\\u{1107F}\\u{110B9}\\u{11133}\\u{11134}\\u{111C0}\\u{11235}\\u{112EA}\\u{1134D}'
  + '\\u{11442}\\u{114C2}\\u{115BF}\\u{1163F}\\u{116B6}\\u{1172B}\\u{11839}\\u{1193D}\\u{1193E}\\u{119E0}\\u{11A34}\\u{11A47}'
  + '\\u{11A99}\\u{11C3F}\\u{11D44}\\u{11D45}\\u{11D97}';

/**
 * Scripts with cursive joining, where U+200C ZERO WIDTH NON-JOINER separates two joining letters
 * (RFC 5892 A.1's Joining_Type rule, approximated by script because JavaScript exposes no
 * Joining_Type property).
 */
export const JOINING = '\\p{sc=Arabic}\\p{sc=Syriac}\\p{sc=Nko}\\p{sc=Mongolian}\\p{sc=Phags_Pa}\\p{sc=Manichaean}\\p{sc=Psalter_Pahlavi}'
  + '\\p{sc=Adlam}\\p{sc=Hanifi_Rohingya}\\p{sc=Sogdian}';

/** RFC 8264 §9.9 OldHangulJamo: conjoining jamo, disallowed in every PRECIS class. */
export const OLD_HANGUL_JAMO = '\\u1100-\\u11FF\\uA960-\\uA97F\\uD7B0-\\uD7FF';
