/** The scheduler's own config (SchedulerConfig), provided by SchedulerModule. */
export const SCHEDULER_CONFIG = Symbol('SCHEDULER_CONFIG');
