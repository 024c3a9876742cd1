// @rjsf/core's Form with the designer's validator, widgets and fields: loaded on demand through ./LazyForm.tsx.
import Form from '@rjsf/core';
import validator from '@rjsf/validator-ajv8';
import { fields } from './fields';
import type { LazyFormProps } from './LazyForm';
import { unionAwareValidator } from './unions';
import { widgets } from './widgets';

export default function RjsfForm({ validation = 'plain', extras = 'none', ...props }: LazyFormProps) {
  return (
    <Form
      {...props}
      validator={validation === 'union' ? unionAwareValidator : validator}
      {...(extras !== 'none' ? { widgets } : {})}
      {...(extras === 'attributes' ? { fields } : {})}
    />
  );
}
