import { runService } from '@assemblr/shared';
import { createGatewayApp } from './gateway.app';
import { loadGatewayConfig } from './gateway.config';

runService('gateway', async (logger) => {
  const config = loadGatewayConfig();
  const app = await createGatewayApp(config, logger);
  await app.listen(config.PORT, config.HOST);
  for (const [key, value] of [['ASSEMBLR_API_TOKEN', config.tokenGenerated ? undefined : config.ASSEMBLR_API_TOKEN], ['CRON_SECRET', config.CRON_SECRET]] as const) {
    if (value !== undefined && value.length < 16) logger.warn(`${key} is shorter than 16 characters: use a long random secret`);
  }
  if (config.tokenGenerated) {
    logger.warn(`ASSEMBLR_API_TOKEN is unset: generated one for this run: ${config.ASSEMBLR_API_TOKEN}`);
  }
  logger.info({ port: config.PORT }, 'gateway listening');
  return { close: () => app.close() };
});
