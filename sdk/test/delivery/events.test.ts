import { DeliveryEmitter } from '../../src/delivery/events.js';

describe('DeliveryEmitter', () => {
  it('builds no payload when nobody listens', () => {
    const emitter = new DeliveryEmitter();
    const build = jest.fn(() => ({ count: 1, restored: false }));
    emitter.emit('spooled', build);
    expect(build).not.toHaveBeenCalled();
    const listener = jest.fn();
    emitter.on('spooled', listener);
    emitter.emit('spooled', build);
    expect(build).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ count: 1, restored: false });
    emitter.off('spooled', listener);
    expect(emitter.has('spooled')).toBe(false);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const emitter = new DeliveryEmitter();
    const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const second = jest.fn();
    emitter.on('spooled', () => {
      throw new Error('listener bug');
    });
    emitter.on('spooled', second);
    emitter.emit('spooled', () => ({ count: 1, restored: false }));
    expect(second).toHaveBeenCalled();
    expect(warning).toHaveBeenCalledWith(expect.stringContaining('listener bug'));
    warning.mockRestore();
  });
});
