/** Named priorities: handlers run highest first; equal priorities run in registration order. */
export const Priority = { Guard: 100, Policy: 50, Default: 0, Fallback: -100 } as const;
export type PriorityValue = (typeof Priority)[keyof typeof Priority];
