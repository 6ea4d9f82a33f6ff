import { runService } from '@assemblr/shared';
import { createSchedulerApp } from './scheduler.app';
import { loadSchedulerConfig } from './scheduler.config';

runService('scheduler', async (logger) => {
  const app = await createSchedulerApp(loadSchedulerConfig(), logger);
  return { close: () => app.close() };
});
