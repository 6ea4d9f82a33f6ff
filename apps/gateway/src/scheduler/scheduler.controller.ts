import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { SweepReply } from '@assemblr/shared';
import { AllowCronSecret } from '../auth/auth.decorators';
import { ProblemException } from '../common/problem.exception';
import { parseSweepInput } from './dto/sweep-request.dto';
import { SchedulerClientService } from './scheduler-client.service';

/** The cron endpoint (API.md "Scheduler"): external cron and manual pings; API token or CRON_SECRET. */
@AllowCronSecret()
@Controller('api/scheduler')
export class SchedulerController {
  constructor(private readonly scheduler: SchedulerClientService) {}

  @Post('run')
  @HttpCode(200)
  runPost(@Body() body: unknown, @Query() query: Record<string, unknown>): Promise<SweepReply> {
    return this.run(body, query);
  }

  // Cron services call GET.
  @Get('run')
  runGet(@Query() query: Record<string, unknown>): Promise<SweepReply> {
    return this.run(undefined, query);
  }

  private run(body: unknown, query: Record<string, unknown>): Promise<SweepReply> {
    const input = parseSweepInput(body, query);
    if (!input.ok) throw ProblemException.validation(input.errors);
    return this.scheduler.sweep(input.value);
  }
}
