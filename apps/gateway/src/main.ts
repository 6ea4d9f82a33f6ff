import { runService } from '@assemblr/shared';
import { createGatewayApp } from './gateway.app';
import { loadGatewayConfig } from './gateway.config';

runService('gateway', async (logger) => {
  const config = loadGatewayConfig();
  const app = await createGatewayApp(config, logger);
  await app.listen(config.PORT, config.HOST);
  if (config.tokenGenerated) {
    logger.warn(`ASSEMBLR_API_TOKEN is unset: generated one for this run: ${config.ASSEMBLR_API_TOKEN}`);
  }
  logger.info({ port: config.PORT }, 'gateway listening');
  return { close: () => app.close() };
});
