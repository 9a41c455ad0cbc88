import { Controller, Get } from '@nestjs/common';
import { listModels } from './echo-api.js';

/** `GET /v1/models`: the static model list (behind the global `ApiKeyGuard`). */
@Controller('v1/models')
export class ModelsController {
  @Get()
  list(): ReturnType<typeof listModels> {
    return listModels();
  }
}
